package worker

import (
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	k8stesting "k8s.io/client-go/testing"

	"github.com/devstack/devstack/internal/composetest"
)

type runtimeObject = runtime.Object

func forbidden(a k8stesting.Action) error {
	gr := schema.GroupResource{Group: a.GetResource().Group, Resource: a.GetResource().Resource}
	return apierrors.NewForbidden(gr, "x", nil)
}

var loadProject = composetest.Load
